from jineng.cli import main

main()
