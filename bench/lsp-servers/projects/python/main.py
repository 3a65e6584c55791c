import os
from util import greet

print(greet("world"))
os.
