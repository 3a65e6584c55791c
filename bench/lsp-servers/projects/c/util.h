#pragma once

struct point { int x; int y; };

// Twice x.
int twice(int x);
