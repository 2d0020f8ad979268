"""The strategy document: one export of the whole strategy as HTML, PDF and XLSX."""
