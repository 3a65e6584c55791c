#pragma once
int h(int);
