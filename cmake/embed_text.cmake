# Writes OUT, a C++ file defining `std::string_view safetynet::FUNCTION()`
# that returns the text of IN (a raw string literal in a char array, whose
# length is not counted at compile time: IN must not contain `)EMBED"`). Run with cmake -DIN=... -DOUT=... -DFUNCTION=... -P embed_text.cmake.
file(READ ${IN} text)
string(FIND "${text}" ")EMBED\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter )EMBED\"")
endif()
file(WRITE ${OUT} "#include <string_view>\nnamespace safetynet {\nstd::string_view ${FUNCTION}() {\n  static constexpr char kText[] = R\"EMBED(${text})EMBED\";\n  return std::string_view(kText, sizeof(kText) - 1);\n}\n}  // namespace safetynet\n")
