#include <cstdio>
int main() { std::puts("fundtrace"); return 0; }
