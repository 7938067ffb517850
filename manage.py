#!/usr/bin/env python
from onestory.__main__ import main

if __name__ == "__main__":
    main()
