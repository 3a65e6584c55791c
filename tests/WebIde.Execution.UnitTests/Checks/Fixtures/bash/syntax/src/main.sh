if true; then
  echo hi
fi fi
