package main

import "fmt"

func main() {
	fmt.Println(twice(2))
}

func twice(x int) int { return 2 * x }
