/* main.c - the command line: parses arguments and calls the library. */
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest/config.h"
#include "digest/digest.h"

/* Repeatable options past this count are a mistake, not a need. */
#define MAX_REPEATS 256

static const char USAGE[] =
    "Usage: digest build SITE [options]\n"
    "       digest list SITE [options]\n"
    "       digest check SITE [options]\n"
    "       digest plan SITE... [build options] [--json]\n"
    "       digest cache stats|prune|clear SITE [-o DIR] [--image-cache-max SIZE]\n"
    "       digest --help | --version\n"
    "\n"
    "Compiles a blog's posts into one EPUB3 and one PDF digest per calendar month.\n"
    "check reads every post as build would, builds nothing, and reports every problem.\n"
    "plan prints one self-contained 'digest build' command per month (and volume,\n"
    "with --period) to build, as build would decide, for GNU parallel, a Slurm array\n"
    "or any other scheduler; --json prints one JSON object per line instead (site,\n"
    "kind, month or volume, out, argv).\n"
    "cache shows, trims or empties the cache of fetched images (OUT/.digest-cache).\n"
    "SITE/digest.yaml, when present, sets defaults (see digest.yaml.example);\n"
    "options given here override it.\n"
    "\n"
    "Which posts (build, list, check):\n"
    "      --posts DIR         folder of posts, relative to SITE (default: _posts,\n"
    "                          source/_posts, content/posts, content/post or content)\n"
    "      --include GLOB      read only posts matching GLOB (repeatable; * ? [..] **)\n"
    "      --exclude GLOB      leave out posts matching GLOB (repeatable)\n"
    "      --dates FILE        CSV of path,YYYY-MM-DD (paths relative to SITE) for\n"
    "                          posts with no date in their metadata or file name\n"
    "      --date-from SOURCE  git (the commit that added the file) or mtime (the\n"
    "                          file's modification time, local zone) for the rest\n"
    "\n"
    "Options of build:\n"
    "  -o, --output DIR        where digests go (default SITE/_digests)\n"
    "  -m, --month YYYY-MM     build only this month (repeatable)\n"
    "      --from YYYY-MM      build only this month and later ones\n"
    "      --to YYYY-MM        build only this month and earlier ones\n"
    "      --prune             remove the digests and state of months in OUT that\n"
    "                          no longer have posts (without it a note names them)\n"
    "  -f, --format LIST       epub, pdf or epub,pdf (default epub,pdf)\n"
    "      --period LIST       month, year, all or a list (default month): books\n"
    "                          per month, per year (OUT/YYYY.epub) and of the\n"
    "                          whole archive (OUT/SITE-all.epub)\n"
    "  -j, --jobs N            months built in parallel (default: CPUs)\n"
    "      --force             rebuild months whose inputs did not change\n"
    "      --offline           fetch no remote images: those not in the cache are\n"
    "                          placeholders with their links (default: fetched,\n"
    "                          kept in OUT/.digest-cache; --fetch-images says so)\n"
    "      --refresh-images    ask again for the cached images that changed, and\n"
    "                          retry the ones that failed (else after a day)\n"
    "      --image-cache-max SIZE  fetched images kept, least recently used go\n"
    "                          first (default 2 GiB; e.g. 500 MB)\n"
    "      --split-languages   one book per language (YYYY-MM.LANG.epub, .pdf) when\n"
    "                          the posts are in several (default: when the site\n"
    "                          declares its languages); --no-split-languages: one\n"
    "  -q, --quiet             no progress lines\n"
    "      --title PATTERN     book title; {site} {label} {year} {month} {mm}\n"
    "                          (default \"{site} · {label}\")\n"
    ;
/* The rest of --help (one string would pass the 4095 characters C17 asks
 * compilers to support). */
static const char USAGE_PDF[] =
    "PDF options:\n"
    "      --page-size SIZE    a4 (default), a5, letter or ereader (90x120 mm)\n"
    "      --margin PT         page margin in points\n"
    "      --font-size PT      base font size in points\n"
    "      --indent            indent paragraphs' first lines by 2 em\n"
    "      --link-notes on|off list links' URLs at the end of each post\n"
    "                          (default on for a4/a5)\n"
    "      --pdf-cover image|text  the cover image as the PDF's first page, or\n"
    "                          the typeset text cover (default: text)\n"
    "      --font FILE[:N]     text font (TrueType outlines; N: index in a .ttc)\n"
    "      --bold-font FILE[:N]  bold text font\n"
    "      --mono-font FILE[:N]  code font\n"
    "      --fallback-font FILE  a font tried for characters the others lack,\n"
    "                          e.g. a colour emoji font (repeatable)\n"
    "\n"
    "Exit status: 0 all good, 1 some input had errors (the rest was built),\n"
    "2 usage or environment error, 130 or 143 interrupted (SIGINT, SIGTERM): the\n"
    "months built are kept, the rest are built next time.\n";

enum {
    OPT_POSTS = 256, OPT_FORCE, OPT_TITLE, OPT_PAGE, OPT_MARGIN, OPT_FONTSIZE, OPT_INDENT,
    OPT_NOTES, OPT_FONT, OPT_BOLD, OPT_MONO, OPT_HELP, OPT_VERSION, OPT_INCLUDE, OPT_EXCLUDE,
    OPT_DATES, OPT_DATE_FROM, OPT_FALLBACK, OPT_FETCH, OPT_FROM, OPT_TO, OPT_PRUNE, OPT_JSON,
    OPT_OFFLINE, OPT_REFRESH, OPT_CACHE_MAX, OPT_SPLIT,
    OPT_NO_SPLIT, OPT_PDF_COVER, OPT_PERIOD
};

static const struct option LONG_OPTS[] = {
    {"output", required_argument, NULL, 'o'},   {"month", required_argument, NULL, 'm'},
    {"format", required_argument, NULL, 'f'},   {"posts", required_argument, NULL, OPT_POSTS},
    {"jobs", required_argument, NULL, 'j'},     {"force", no_argument, NULL, OPT_FORCE},
    {"quiet", no_argument, NULL, 'q'},          {"title", required_argument, NULL, OPT_TITLE},
    {"page-size", required_argument, NULL, OPT_PAGE},
    {"margin", required_argument, NULL, OPT_MARGIN},
    {"font-size", required_argument, NULL, OPT_FONTSIZE},
    {"indent", no_argument, NULL, OPT_INDENT},  {"link-notes", required_argument, NULL, OPT_NOTES},
    {"pdf-cover", required_argument, NULL, OPT_PDF_COVER},
    {"font", required_argument, NULL, OPT_FONT}, {"bold-font", required_argument, NULL, OPT_BOLD},
    {"mono-font", required_argument, NULL, OPT_MONO}, {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION}, {"include", required_argument, NULL, OPT_INCLUDE},
    {"exclude", required_argument, NULL, OPT_EXCLUDE}, {"dates", required_argument, NULL, OPT_DATES},
    {"date-from", required_argument, NULL, OPT_DATE_FROM},
    {"fallback-font", required_argument, NULL, OPT_FALLBACK},
    {"fetch-images", no_argument, NULL, OPT_FETCH}, {"offline", no_argument, NULL, OPT_OFFLINE},
    {"refresh-images", no_argument, NULL, OPT_REFRESH},
    {"image-cache-max", required_argument, NULL, OPT_CACHE_MAX},
    {"from", required_argument, NULL, OPT_FROM}, {"to", required_argument, NULL, OPT_TO},
    {"prune", no_argument, NULL, OPT_PRUNE},    {"json", no_argument, NULL, OPT_JSON},
    {"split-languages", no_argument, NULL, OPT_SPLIT},
    {"no-split-languages", no_argument, NULL, OPT_NO_SPLIT},
    {"period", required_argument, NULL, OPT_PERIOD}, {NULL, 0, NULL, 0}};

/* Options a plan's commands do not repeat: each command names its own month
 * (or volume: its selection and period) and OUT; a range, pruning and jobs
 * are the plan's. */
static const int PLAN_OWN[] = {'o', 'm', 'j', OPT_FROM, OPT_TO, OPT_PRUNE, OPT_JSON, OPT_PERIOD};
/* Options whose value may be a file relative to the working directory. */
static const int PATH_OPTS[] = {OPT_FONT, OPT_BOLD, OPT_MONO, OPT_FALLBACK};

/* What the command line gave, before the configuration file is read. */
typedef struct cli {
    dg_options o;
    unsigned set; /* DG_SET_ bits */
    const char *months[MAX_REPEATS];
    size_t nmonths;
    const char *include[MAX_REPEATS], *exclude[MAX_REPEATS], *fallback[MAX_REPEATS];
    bool json;
    /* every option as parsed, for plan to repeat: its code and value */
    struct given {
        int c;
        const char *arg;
    } given[4 * MAX_REPEATS];
    size_t ngiven;
} cli;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "digest: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'digest --help'.\n");
    return 2;
}

static int parse_number(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || v <= 0 || v > 1000)
        return -1;
    *out = v;
    return 0;
}

/* FILE or FILE:N */
static void parse_font(const char *arg, const char **path, int *index)
{
    const char *colon = strrchr(arg, ':');
    char *end = NULL;
    if (colon && colon[1] && (strtol(colon + 1, &end, 10), end && *end == 0)) {
        *path = strndup(arg, (size_t)(colon - arg));
        *index = atoi(colon + 1);
    } else {
        *path = arg;
        *index = 0;
    }
}

/* Applies one parsed option to O. Returns 0, or the exit status for --help,
 * --version (-1 meaning "exit 0") and usage errors (2). */
static int apply_option(int c, cli *cl)
{
    double v;
    dg_options *o = &cl->o;
    static const unsigned bits[] = {
        ['o'] = DG_SET_OUT, ['f'] = DG_SET_FORMAT, ['j'] = DG_SET_JOBS,
        [OPT_POSTS] = DG_SET_POSTS, [OPT_TITLE] = DG_SET_TITLE, [OPT_PAGE] = DG_SET_PAGE,
        [OPT_MARGIN] = DG_SET_MARGIN, [OPT_FONTSIZE] = DG_SET_FONTSIZE,
        [OPT_INDENT] = DG_SET_INDENT, [OPT_NOTES] = DG_SET_NOTES, [OPT_FONT] = DG_SET_FONT,
        [OPT_BOLD] = DG_SET_BOLD, [OPT_MONO] = DG_SET_MONO, [OPT_INCLUDE] = DG_SET_INCLUDE,
        [OPT_EXCLUDE] = DG_SET_EXCLUDE, [OPT_DATES] = DG_SET_DATES,
        [OPT_DATE_FROM] = DG_SET_DATE_FROM, [OPT_FALLBACK] = DG_SET_FALLBACK,
        [OPT_FETCH] = DG_SET_FETCH, [OPT_OFFLINE] = DG_SET_FETCH,
        [OPT_CACHE_MAX] = DG_SET_CACHE_MAX, [OPT_SPLIT] = DG_SET_SPLIT,
        [OPT_NO_SPLIT] = DG_SET_SPLIT, [OPT_PDF_COVER] = DG_SET_PDF_COVER,
        [OPT_PERIOD] = DG_SET_PERIOD};
    if (c >= 0 && (size_t)c < sizeof bits / sizeof *bits)
        cl->set |= bits[c];
    switch (c) {
    case 'o': o->out_dir = optarg; break;
    case 'm':
        if (cl->nmonths == MAX_REPEATS)
            return usage_error("too many -m options (at most %s)", "256");
        cl->months[cl->nmonths++] = optarg;
        break;
    case OPT_INCLUDE:
        if (o->ninclude == MAX_REPEATS)
            return usage_error("too many --include options (at most %s)", "256");
        cl->include[o->ninclude++] = optarg;
        o->include = cl->include;
        break;
    case OPT_FALLBACK:
        if (o->fonts.nfallback == MAX_REPEATS)
            return usage_error("too many --fallback-font options (at most %s)", "256");
        cl->fallback[o->fonts.nfallback++] = optarg;
        o->fonts.fallback = cl->fallback;
        break;
    case OPT_EXCLUDE:
        if (o->nexclude == MAX_REPEATS)
            return usage_error("too many --exclude options (at most %s)", "256");
        cl->exclude[o->nexclude++] = optarg;
        o->exclude = cl->exclude;
        break;
    case OPT_DATES: o->dates_file = optarg; break;
    case OPT_DATE_FROM:
        if (dg_parse_date_from(optarg, &o->date_from) != 0)
            return usage_error("--date-from %s: expected git, mtime or none", optarg);
        break;
    case 'f':
        o->epub = o->pdf = false;
        for (const char *s = optarg; *s;) {
            size_t n = strcspn(s, ",");
            if (n == 4 && !strncmp(s, "epub", 4))
                o->epub = true;
            else if (n == 3 && !strncmp(s, "pdf", 3))
                o->pdf = true;
            else
                return usage_error("-f %s: formats are epub, pdf or epub,pdf", optarg);
            s += n + (s[n] == ',');
        }
        if (!o->epub && !o->pdf)
            return usage_error("-f '%s': formats are epub, pdf or epub,pdf", optarg);
        break;
    case OPT_POSTS: o->posts_dir = optarg; break;
    case 'j':
        if (parse_number(optarg, &v) != 0)
            return usage_error("-j %s: expected a positive number", optarg);
        o->jobs = (int)v;
        break;
    case OPT_FORCE: o->force = true; break;
    case OPT_FETCH: o->fetch_images = true; break;
    case OPT_FROM: o->from = optarg; break;
    case OPT_TO: o->to = optarg; break;
    case OPT_PRUNE: o->prune = true; break;
    case OPT_JSON: cl->json = true; break;
    case OPT_OFFLINE: o->fetch_images = false; break;
    case OPT_REFRESH: o->refresh_images = true; break;
    case OPT_CACHE_MAX:
        if (dg_parse_size(optarg, &o->image_cache_max) != 0)
            return usage_error("--image-cache-max %s: expected a size such as 2 GiB or 500 MB",
                               optarg);
        break;
    case OPT_SPLIT: o->split_languages = 1; break;
    case OPT_NO_SPLIT: o->split_languages = 0; break;
    case OPT_PERIOD:
        if (dg_parse_periods(optarg, &o->periods) != 0)
            return usage_error("--period %s: expected month, year, all or a list such as "
                               "month,year", optarg);
        break;
    case 'q': o->progress = false; break;
    case OPT_TITLE: o->title_pattern = optarg; break;
    case OPT_PAGE:
        if (dg_parse_page_size(optarg, &o->pdf_opts.page) != 0)
            return usage_error("--page-size %s: expected a4, a5, letter or ereader", optarg);
        break;
    case OPT_MARGIN:
        if (parse_number(optarg, &o->pdf_opts.margin) != 0)
            return usage_error("--margin %s: expected points", optarg);
        break;
    case OPT_FONTSIZE:
        if (parse_number(optarg, &o->pdf_opts.base_size) != 0)
            return usage_error("--font-size %s: expected points", optarg);
        break;
    case OPT_INDENT: o->pdf_opts.indent = true; break;
    case OPT_NOTES:
        if (!strcmp(optarg, "on"))
            o->pdf_opts.link_notes = 1;
        else if (!strcmp(optarg, "off"))
            o->pdf_opts.link_notes = 0;
        else
            return usage_error("--link-notes %s: expected on or off", optarg);
        break;
    case OPT_PDF_COVER:
        if (!strcmp(optarg, "image"))
            o->pdf_opts.cover_image = true;
        else if (!strcmp(optarg, "text"))
            o->pdf_opts.cover_image = false;
        else
            return usage_error("--pdf-cover %s: expected image or text", optarg);
        break;
    case OPT_FONT: parse_font(optarg, &o->fonts.text, &o->fonts.text_index); break;
    case OPT_BOLD: parse_font(optarg, &o->fonts.text_bold, &o->fonts.text_bold_index); break;
    case OPT_MONO: parse_font(optarg, &o->fonts.mono, &o->fonts.mono_index); break;
    case 'h':
    case OPT_HELP: fputs(USAGE, stdout), fputs(USAGE_PDF, stdout); return -1;
    case 'V':
    case OPT_VERSION: printf("digest %s\n", DIGEST_VERSION); return -1;
    default: fputs("Try 'digest --help'.\n", stderr); return 2;
    }
    if (cl->ngiven == sizeof cl->given / sizeof *cl->given)
        return usage_error("too many options (at most %s)", "1024");
    cl->given[cl->ngiven++] = (struct given){c, optarg};
    return 0;
}

static bool one_of(int c, const int *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == c)
            return true;
    return false;
}

/* The build options of CL as plan's commands repeat them (dg_plan_opts):
 * long names, file paths made absolute.  Strings live until exit. */
static size_t plan_args(const cli *cl, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; i < cl->ngiven; i++) {
        int c = cl->given[i].c;
        const char *arg = cl->given[i].arg;
        if (one_of(c, PLAN_OWN, sizeof PLAN_OWN / sizeof *PLAN_OWN))
            continue;
        const struct option *lo = LONG_OPTS;
        while (lo->name && lo->val != c)
            lo++;
        if (!lo->name)
            continue;
        char *name = malloc(strlen(lo->name) + 3);
        if (!name)
            abort();
        sprintf(name, "--%s", lo->name);
        out[n++] = name;
        if (lo->has_arg == no_argument)
            continue;
        /* FILE or FILE:N naming a file here: absolute, for any machine */
        char file[PATH_MAX], *real;
        snprintf(file, sizeof file, "%s", arg);
        char *colon = strrchr(file, ':');
        const char *suffix = "";
        if (colon && access(file, F_OK) != 0) {
            suffix = arg + (colon - file);
            *colon = 0;
        }
        if (one_of(c, PATH_OPTS, sizeof PATH_OPTS / sizeof *PATH_OPTS) && file[0] != '/' &&
            (real = realpath(file, NULL))) {
            char *abs = malloc(strlen(real) + strlen(suffix) + 1);
            if (!abs)
                abort();
            sprintf(abs, "%s%s", real, suffix);
            free(real);
            arg = abs;
        }
        out[n++] = arg;
    }
    return n;
}

/* The last name of PATH, trailing slashes aside (a static copy). */
static const char *base_name(const char *path)
{
    static char buf[2][PATH_MAX];
    static int turn;
    char *b = buf[turn ^= 1];
    snprintf(b, PATH_MAX, "%s", path);
    for (size_t n = strlen(b); n > 1 && b[n - 1] == '/'; n--)
        b[n - 1] = 0;
    const char *s = strrchr(b, '/');
    return s && s[1] ? s + 1 : b;
}

int main(int argc, char **argv)
{
    static cli cl;
    dg_options_init(&cl.o);
    static const char *args[MAX_REPEATS + 2]; /* command, [cache action,] site(s) */
    int nargs = 0;

    /* GNU-style: options anywhere, the command and SITE in between. */
    int c;
    while ((c = getopt_long(argc, argv, "-o:m:f:j:qhV", LONG_OPTS, NULL)) != -1) {
        if (c == 1) {
            bool plan = nargs > 0 && !strcmp(args[0], "plan");
            bool cache = nargs > 0 && !strcmp(args[0], "cache");
            if (nargs == (plan ? MAX_REPEATS + 1 : cache ? 3 : 2))
                return usage_error("unexpected argument '%s'", optarg);
            args[nargs++] = optarg;
            continue;
        }
        int r = apply_option(c, &cl);
        if (r != 0)
            return r < 0 ? 0 : r;
    }
    if (nargs == 0)
        return usage_error("%s", "no command: expected build, list, check, plan or cache");
    bool build = strcmp(args[0], "build") == 0, check = strcmp(args[0], "check") == 0;
    bool plan = strcmp(args[0], "plan") == 0, cache = strcmp(args[0], "cache") == 0;
    if (!build && !check && !plan && !cache && strcmp(args[0], "list") != 0)
        return usage_error("unknown command '%s': expected build, list, check, plan or cache",
                           args[0]);
    if (cache && nargs < 3)
        return usage_error("%s", "cache needs an action (stats, prune or clear) and the SITE "
                                 "folder");
    if (nargs < 2)
        return usage_error("%s needs the SITE folder", args[0]);
    if (cl.json && !plan)
        return usage_error("--json is an option of plan, not of %s", args[0]);
    int first = cache ? 2 : 1; /* the first SITE */
    cl.o.months = cl.months;
    cl.o.nmonths = cl.nmonths;

    static const char *forward[4 * MAX_REPEATS];
    char exe[PATH_MAX];
    ssize_t exe_len = plan ? readlink("/proc/self/exe", exe, sizeof exe - 1) : 0;
    exe[exe_len > 0 ? exe_len : 0] = 0;
    dg_plan_opts po = {exe_len > 0 ? exe : argv[0], forward, plan ? plan_args(&cl, forward) : 0,
                       cl.json, nargs - first > 1 && (cl.set & DG_SET_OUT)};
    /* several sites into one -o: OUT/NAME each, so no two may share a name */
    for (int i = 1; po.per_site && i < nargs; i++)
        for (int k = 1; k < i; k++)
            if (!strcmp(base_name(args[i]), base_name(args[k])))
                return usage_error("two sites named '%s': with -o each goes to OUT/NAME",
                                   base_name(args[i]));

    /* Per site: the configuration file first, the command line over it. */
    dg_diag *d = dg_diag_new(stderr);
    int status = DG_EXIT_OK;
    for (int i = first; i < nargs; i++) {
        cl.o.site = args[i];
        dg_options o;
        dg_config *cfg = dg_config_resolve(&o, &cl.o, cl.set, d);
        int st = build   ? dg_build(&o, d)
                 : check ? dg_check(&o, stdout, d)
                 : plan  ? dg_plan(&o, &po, stdout, d)
                 : cache ? dg_cache_command(&o, args[1], stdout, d)
                         : dg_list(&o, stdout, d);
        dg_config_free(cfg);
        /* the worst: usage, then an interruption, then input */
        if (st == DG_EXIT_USAGE || (status != DG_EXIT_USAGE && st > status))
            status = st;
    }
    if (status == DG_EXIT_OK && dg_diag_errors(d) > 0)
        status = DG_EXIT_INPUT;
    dg_diag_free(d);
    return status;
}
