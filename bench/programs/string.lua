-- Lua strings are immutable: repeated `..` is quadratic, so the idiomatic builder is a table
-- of pieces joined once (what a Lua programmer would write).
local parts = {}
local i = 0
while i < 100000 do
  parts[#parts + 1] = "x"
  i = i + 1
end
print(#table.concat(parts))
