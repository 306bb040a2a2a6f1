"""The programme's figures: key figures, charts, periods and CSV exports."""
