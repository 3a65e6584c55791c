#pragma once

// Twice x.
int twice(int x);
