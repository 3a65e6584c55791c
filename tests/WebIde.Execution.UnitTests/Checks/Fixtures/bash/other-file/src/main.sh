source ./lib.sh
