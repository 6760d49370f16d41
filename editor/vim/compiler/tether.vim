" Vim compiler file for tether (`:compiler tether`, then `:make`): runs
" `tether check` on the current file (or `:make ARGS`) and reads its
" gcc-style report into the quickfix list. Each warning is one entry; its
" notes (the path to the leak, the fix) are continuation lines of that
" entry's text; quoted source lines and carets are dropped.
" Set g:tether_program to a tether that is not on your PATH.
if exists('current_compiler')
  finish
endif
let current_compiler = 'tether'

if exists(':CompilerSet') != 2
  command -nargs=* CompilerSet setlocal <args>
endif

let s:cpo_save = &cpo
set cpo&vim

execute 'CompilerSet makeprg=' . escape(get(g:, 'tether_program', 'tether'), ' \|"') . '\ check\ --no-color\ $*\ %:S'
CompilerSet errorformat=
      \%E%f:%l:%c:\ error:\ %m,
      \%E%f:%l:%c:\ fatal\ error:\ %m,
      \%W%f:%l:%c:\ warning:\ %m,
      \%C%f:%l:%c:\ note:\ %m,
      \%Cnote:\ %m,
      \%-C%*[\ 0-9]\|%.%#,
      \%Etether:\ error:\ %m,
      \%-Gtether:%.%#

let &cpo = s:cpo_save
unlet s:cpo_save
