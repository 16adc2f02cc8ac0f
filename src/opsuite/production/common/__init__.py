"""What every production domain shares: pages, sorting, timestamps."""
