"""The colours a manager picks a section's from: Okabe and Ito's palette, told apart with most kinds of
colour blindness, each named so a screen reader and the picker say which it is."""

PALETTE = (
    ("Blue", "#0072b2"),
    ("Orange", "#e69f00"),
    ("Green", "#009e73"),
    ("Sky", "#56b4e9"),
    ("Vermilion", "#d55e00"),
    ("Purple", "#cc79a7"),
    ("Yellow", "#f0e442"),
    ("Grey", "#7f7f7f"),
)
