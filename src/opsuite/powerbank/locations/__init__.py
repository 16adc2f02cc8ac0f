"""Where each power bank is (notes §2.7): in a station, in use, not returned, written off or unknown."""
