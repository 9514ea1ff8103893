#!/bin/sh
# inpage.sh PDF — fail when any word of the PDF's text lies outside the text
# block (360 pt wide, centred on the page; 3 pt of tolerance for glyph
# overhang), i.e. when content would be cut off or run into the margin.
pdftotext -bbox "$1" - | awk -F'"' '
  /<page / { pw = $2 + 0; l = (pw - 360) / 2 - 3; r = (pw + 360) / 2 + 3 }
  /<word / { if ($2 + 0 < l || $6 + 0 > r) { bad++; if (bad < 4) print "outside the text block: x " $2 "-" $6 " of page width " pw ": " $0 > "/dev/stderr" } }
  END { exit bad > 0 }'
