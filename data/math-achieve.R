# Writes the MathAchieve data of R's nlme package (Debian: apt-get install r-cran-nlme) as a
# task table, one task per school: a sample of the 1982 High School and Beyond survey, 7,185
# students in 160 US high schools (Raudenbush and Bryk, Hierarchical Linear Models). nlme is
# GPL (>= 2); the data are not copied into this repository, this script reads them from the
# installed package.
#
#   Rscript data/math-achieve.R runs/math-achieve/math-achieve.csv
#
# Columns: school (the task id), minority and female (0/1), ses (socio-economic status),
# math (the math achievement score, the label). Schools with fewer than 24 students are left
# out (6 of 160), so that every school has the support and query rows the config asks for.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript data/math-achieve.R OUT.csv")
if (file.exists(args[1])) stop(paste(args[1], "exists; choose a new file"))
suppressPackageStartupMessages(library(nlme))
data(MathAchieve)
d <- as.data.frame(MathAchieve)
out <- data.frame(school = as.character(d$School),
                  minority = as.integer(d$Minority == "Yes"),
                  female = as.integer(d$Sex == "Female"),
                  ses = d$SES,
                  math = d$MathAch)
sizes <- table(out$school)
out <- out[out$school %in% names(sizes[sizes >= 24]), ]
dir.create(dirname(args[1]), recursive = TRUE, showWarnings = FALSE)
write.csv(out, args[1], row.names = FALSE)
cat(sprintf("wrote %d students of %d schools to %s\n", nrow(out), length(unique(out$school)), args[1]))
