from awardforms.commands.cli import main

main()
