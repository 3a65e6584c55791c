cat <<EOF
hello
