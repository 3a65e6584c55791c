import json

def main() -> None:
    print(json.dumps({"ok": True}))

main()
