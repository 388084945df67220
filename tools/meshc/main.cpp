// meshc: the command-line driver; all the work is in compiler/driver.
#include "driver/Driver.h"

int main(int argc, char** argv) { return mesh::driver::run(argc, argv); }
