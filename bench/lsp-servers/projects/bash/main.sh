#!/bin/bash
source ./util.sh

greet world
ech
