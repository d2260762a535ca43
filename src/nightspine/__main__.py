from nightspine.cli.main import main

main()
