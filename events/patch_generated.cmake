# flatc 2.0.8 names the Verify() parameter `verifier`, which collides with the
# contract's field RectificationVerified.verifier. Qualify the accessor.
file(READ ${FILE} text)
string(REPLACE "verifier.VerifyString(verifier())" "verifier.VerifyString(this->verifier())" text "${text}")
file(WRITE ${FILE} "${text}")
