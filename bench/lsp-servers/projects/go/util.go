package main

// greet says hello to name.
func greet(name string) string { return "hello " + name }
