let let = 1;
foo(;
