package main

var x int = "a"
