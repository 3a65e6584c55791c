echo "é😀"
x=$(echo "é😀" (
