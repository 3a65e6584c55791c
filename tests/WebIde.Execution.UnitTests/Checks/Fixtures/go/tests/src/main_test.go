package main

import (
	"fmt"
	"testing"
)

func TestTwice(t *testing.T) {
	fmt.Printf("%d\n", "text")
	if twice(2) != 4 {
		t.Fail()
	}
}
