int x = "a";
