echo (
if then
