"""CLI command groups kept out of edition/cli.py: each module registers its
commands on the main group (`register(main)`)."""
