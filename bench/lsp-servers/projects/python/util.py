def greet(name: str) -> str:
    """Says hello to name."""
    return f"hello {name}"
