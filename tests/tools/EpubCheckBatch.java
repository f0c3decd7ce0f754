// EPUBCheck over many books in one Java process. Each `java -jar epubcheck.jar BOOK` pays the
// JVM's start and EPUBCheck's schema loading again (several seconds a book on a busy machine);
// here they are paid once, which is what keeps the corpus tests within CI's time.
//
// Usage: java -cp /usr/share/java/epubcheck.jar tests/tools/EpubCheckBatch.java BOOK...
// (Java's single-file source launcher: needs a JDK, `default-jdk-headless` on Debian.)
//
// For each book it prints EPUBCheck's own messages, then one line
//   "== RESULT <errors> <warnings> <fatal> <path>"
// so the tests can tell a clean book (0 0 0) from one with problems and show the messages.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubCheckBatch {
    public static void main(String[] books) {
        // One stream, so that each message comes before its own book's RESULT line.
        System.setErr(System.out);
        for (String book : books) {
            System.out.println("== BOOK " + book);
            System.out.flush();
            DefaultReportImpl report = new DefaultReportImpl(book);
            int errors;
            int warnings;
            int fatal;
            try {
                new EpubCheck(new File(book), report).doValidate();
                errors = report.getErrorCount();
                warnings = report.getWarningCount();
                fatal = report.getFatalErrorCount();
            } catch (RuntimeException e) {
                // A book that breaks EPUBCheck itself counts as a fatal error, not as clean.
                System.out.println("EPUBCheck failed on this book: " + e);
                errors = 0;
                warnings = 0;
                fatal = 1;
            }
            System.err.flush();
            System.out.println("== RESULT " + errors + " " + warnings + " " + fatal + " " + book);
            System.out.flush();
        }
    }
}
