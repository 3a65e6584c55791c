#!/bin/bash

# Says hello to $1.
greet() {
  echo "hello $1"
}
