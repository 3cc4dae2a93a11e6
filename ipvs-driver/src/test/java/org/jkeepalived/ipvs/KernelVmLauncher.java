package org.jkeepalived.ipvs;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the @Tag("kernel-vm") test classes named on the command line (all of org.jkeepalived.ipvs
 * when none is named) with JUnit's launcher, for use
 * inside ../shared/kernel-vm/run where starting Maven takes minutes under emulation:
 * <pre>java -XX:UseAVX=2 -cp ipvs-driver/target/test-classes:ipvs-driver/target/classes:$(cat CP) \
 *     org.jkeepalived.ipvs.KernelVmLauncher org.jkeepalived.ipvs.kernel.KernelIpvsTableTest ...</pre>
 * Exit status 0 when every test passed (and at least one ran).
 */
public final class KernelVmLauncher {
    public static void main(String[] args) {
        List<org.junit.platform.engine.DiscoverySelector> sel = new ArrayList<>();
        boolean anyTag = false;
        for (String a : args) {
            if (a.equals("--any-tag")) anyTag = true; // also run untagged tests (a quick host check)
            else sel.add(selectClass(a));
        }
        // no class named: every kernel-vm test of the module (the engine's included)
        if (sel.isEmpty()) sel.add(org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage("org.jkeepalived.ipvs"));
        LauncherDiscoveryRequestBuilder rb = LauncherDiscoveryRequestBuilder.request().selectors(sel);
        if (!anyTag) rb.filters(TagFilter.includeTags("kernel-vm"));
        LauncherDiscoveryRequest req = rb.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(req, summary, new org.junit.platform.launcher.TestExecutionListener() {
            @Override public void executionFinished(org.junit.platform.launcher.TestIdentifier id,
                                                    org.junit.platform.engine.TestExecutionResult r) {
                if (id.isTest()) {
                    System.out.println((r.getStatus() == org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL ? "PASS " : "FAIL ")
                            + id.getDisplayName() + " " + id.getUniqueId().replaceAll(".*class:([^\\]]*)\\].*", "$1"));
                    r.getThrowable().ifPresent(t -> t.printStackTrace(System.out));
                }
            }
            @Override public void executionSkipped(org.junit.platform.launcher.TestIdentifier id, String reason) {
                System.out.println("SKIP " + id.getDisplayName() + ": " + reason);
            }
        });
        TestExecutionSummary s = summary.getSummary();
        s.printTo(new PrintWriter(System.out));
        System.out.println("kernel-vm: " + s.getTestsSucceededCount() + " passed, " + s.getTotalFailureCount() + " failed, "
                + s.getTestsSkippedCount() + " skipped");
        System.out.flush();
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsSucceededCount() > 0 ? 0 : 1);
    }
}
