package main

import "fmt"

func main() {
	fmt.Println(undefinedA, undefinedB)
	var unused int
}
