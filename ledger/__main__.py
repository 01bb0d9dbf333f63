"""``python -m ledger export|verify --database-url URL --out DIR``."""
from ledger.cli import main

main()
