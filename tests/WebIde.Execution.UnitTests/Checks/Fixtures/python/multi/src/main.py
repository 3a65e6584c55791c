x = (1 +
y = ]
def g(:
