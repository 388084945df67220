# cmake -DDEPFILE=FILE -P read-depfile.cmake: the prerequisites of a depfile
# meshc wrote, as meshc_generate() reads them (cmake/MeshcGenerate.cmake),
# one a line between brackets on standard error.
cmake_minimum_required(VERSION 3.21)
include("${CMAKE_CURRENT_LIST_DIR}/../../../../cmake/MeshcGenerate.cmake")
_meshc_generate_read_depfile("${DEPFILE}" paths)
foreach(path IN LISTS paths)
  message("[${path}]")
endforeach()
