foo(;
