# Writes OUT, a C++ file defining EventSchemaText() with the text of IN.
file(READ ${IN} text)
file(WRITE ${OUT} "#include <string_view>\nnamespace safetynet {\nstd::string_view EventSchemaText() {\n  static constexpr std::string_view kText = R\"FBS(${text})FBS\";\n  return kText;\n}\n}  // namespace safetynet\n")
