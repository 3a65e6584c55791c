#pragma once
inline int h(int x) { return x + ; }
