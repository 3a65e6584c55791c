package sub

func Broken() int { return "not an int" }
