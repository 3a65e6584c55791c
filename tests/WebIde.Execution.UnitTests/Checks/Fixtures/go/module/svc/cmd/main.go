package main

import "fmt"

func main() {
	fmt.Printf("%s\n", 1)
	fmt.Println(missing)
}
