"""Development tools, apart from what a contributor or the site build runs (issue 13, part 6).

- :mod:`generator.dev.synth` (with the word lists of :mod:`generator.dev.synth_text`): seeded,
  synthetic but valid data folders for scale tests;
- :mod:`generator.dev.bench`: timings and page weight of validate and build on those folders;
- :mod:`generator.dev.commands`: their commands, ``synth`` and ``bench``, registered with the
  others in :data:`generator.cli.COMMANDS`.

Nothing outside this package imports it, except that command registry, and the commands import
these modules only when they run: ``python -m generator validate`` never loads them. They need the
``[site]`` and ``[zensical]`` extras only inside the functions that build a site (``make bench``
installs both).
"""
