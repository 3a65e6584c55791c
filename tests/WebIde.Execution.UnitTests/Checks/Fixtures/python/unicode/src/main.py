x = 1
s = "é😀"; y = fooo bar
