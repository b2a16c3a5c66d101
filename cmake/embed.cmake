# embed_text(OUT FUNCTION IN): a custom command that writes the generated C++
# file OUT defining `std::string_view safetynet::FUNCTION()`, the text of IN
# (cmake/embed_text.cmake). Add OUT to a target's sources.
function(embed_text OUT FUNCTION IN)
  add_custom_command(
    OUTPUT ${OUT}
    COMMAND ${CMAKE_COMMAND} -DIN=${IN} -DOUT=${OUT} -DFUNCTION=${FUNCTION} -P ${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake
    DEPENDS ${IN} ${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake)
endfunction()
