package main

import "fmt"

func main() {
	s := "é😀"; fmt.Println(s, undefinedName)
}
