"""The `quartiere-bot` console script: the parser and one module per command group."""
